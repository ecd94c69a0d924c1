/** The two ways an application calls the served model, printed with values that work as shown. */
export function servingExamples(baseUrl: string, model: string, apiKey: string | undefined): string {
  const auth = apiKey ? ` \\\n    -H "Authorization: Bearer ${apiKey}"` : '';
  return [
    'curl:',
    `  curl -s ${baseUrl}/v1/chat/completions -H "Content-Type: application/json"${auth} \\`,
    `    -d '{"model": "${model}", "messages": [{"role": "user", "content": "What is the state of the Union?"}], "max_tokens": 48}'`,
    '',
    'openai client (npm install openai; save as ask.mjs; node ask.mjs):',
    `  import OpenAI from 'openai';`,
    `  const client = new OpenAI({ baseURL: '${baseUrl}/v1', apiKey: '${apiKey ?? 'unused'}' });`,
    `  const stream = await client.chat.completions.create({ model: '${model}', stream: true, max_tokens: 48,`,
    `    messages: [{ role: 'user', content: 'What is the state of the Union?' }] });`,
    `  for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? '');`,
  ].join('\n');
}
