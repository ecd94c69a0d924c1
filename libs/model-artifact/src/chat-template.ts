/**
 * How chat messages become one prompt for a model trained on plain text. Our models have no
 * instruction tuning, so the template is a transcript the base model can continue; the stop
 * sequences end the assistant's turn where the transcript would hand back to the user.
 */
import { z } from 'zod';

export const ChatTemplateSchema = z
  .object({
    system: z.string(),
    user: z.string(),
    assistant: z.string(),
    /** Between turns. */
    separator: z.string(),
    /** Text that ends an assistant turn (never part of the reply). */
    stop: z.array(z.string()),
  })
  .strict();
export type ChatTemplate = z.infer<typeof ChatTemplateSchema>;

export const DEFAULT_CHAT_TEMPLATE: ChatTemplate = Object.freeze({
  system: 'System: ',
  user: 'User: ',
  assistant: 'Assistant: ',
  separator: '\n',
  stop: ['\nUser:', '\nSystem:'],
}) as ChatTemplate;

export type ChatRole = 'system' | 'user' | 'assistant';
export interface ChatMessage {
  readonly role: ChatRole;
  readonly content: string;
}

/** The transcript up to and including the assistant's open turn, e.g. `User: hi\nAssistant:`. */
export function renderChat(messages: readonly ChatMessage[], template: ChatTemplate = DEFAULT_CHAT_TEMPLATE): string {
  const turns = messages.map((m) => `${template[m.role]}${m.content}`);
  return [...turns, template.assistant.trimEnd()].join(template.separator);
}
