import { describe, expect, it } from 'vitest';
import {
  ALL_TOPICS,
  DATA_TOPICS,
  PAYLOAD_SCHEMAS,
  TOPICS,
  ValidationError,
  createEvent,
  dlqTopic,
  isWellFormedTopicName,
  parseEvent,
  serializeEvent,
} from './index';

const doc = { content: 'Hello world', mediaType: 'text/plain' as const };

describe('topics', () => {
  it('names every topic crucible.<noun>.<past-tense-verb>.v<N>', () => {
    for (const topic of ALL_TOPICS) expect(isWellFormedTopicName(topic), topic).toBe(true);
    expect(isWellFormedTopicName('documents.cleaned')).toBe(false);
  });

  it('has a dead-letter topic for every data topic and a schema for every data topic', () => {
    expect(ALL_TOPICS).toHaveLength(DATA_TOPICS.length * 2);
    for (const topic of DATA_TOPICS) {
      expect(ALL_TOPICS).toContain(dlqTopic(topic));
      expect(PAYLOAD_SCHEMAS[topic]).toBeDefined();
    }
  });
});

describe('createEvent / parseEvent', () => {
  it('round-trips through bytes with defaults applied', () => {
    const event = createEvent(TOPICS.documentsReceived, doc, { source: 'test', key: 'k1' });
    expect(event.type).toBe('crucible.documents.received');
    expect(event.version).toBe(1);
    const parsed = parseEvent(TOPICS.documentsReceived, serializeEvent(event));
    expect(parsed).toEqual(event);
    expect(parsed.payload.metadata).toEqual({});
  });

  it('rejects an invalid payload at the producer, naming the path', () => {
    expect(() =>
      createEvent(TOPICS.documentsReceived, { content: 42 } as never, { source: 's', key: 'k' }),
    ).toThrowError(ValidationError);
    try {
      createEvent(TOPICS.documentsReceived, { content: 42 } as never, { source: 's', key: 'k' });
    } catch (error) {
      expect((error as ValidationError).issues[0]?.path).toEqual(['payload', 'content']);
      expect((error as ValidationError).retriable).toBe(false);
    }
  });

  it('rejects malformed JSON, a wrong envelope and an event of another topic', () => {
    expect(() => parseEvent(TOPICS.documentsReceived, '{not json')).toThrow(/not valid JSON/);
    expect(() => parseEvent(TOPICS.documentsReceived, { id: 'x' })).toThrow(/invalid envelope/);
    const other = createEvent(TOPICS.servingFeedback, { requestId: 'r', modelVersionId: 'm', rating: 1 }, {
      source: 's',
      key: 'k',
    });
    expect(() => parseEvent(TOPICS.documentsReceived, serializeEvent(other))).toThrow(/does not belong/);
  });

  it('rejects unknown payload fields (schemas are strict)', () => {
    const event = createEvent(TOPICS.documentsReceived, doc, { source: 's', key: 'k' });
    const tampered = { ...event, payload: { ...event.payload, surprise: true } };
    expect(() => parseEvent(TOPICS.documentsReceived, tampered)).toThrow(/invalid payload/);
  });
});
