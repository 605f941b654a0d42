// The fidelity suite's non-Python client: one long-lived Node.js process that sends each
// request it reads with the AWS SDK for JavaScript v3's low-level DynamoDB commands.
// Usage: node node_fidelity_client.js ENDPOINT REGION
// Protocol, one JSON object per line: in {"id", "operation", "params"}; out {"id", "result",
// "status", "attempts"} or {"id", "error": {"name", "message", "status", "fields",
// "clientSide"}}. Binary values travel as {"__b64__": "..."}, dates as {"__date__": seconds}
// (tests/fidelity/clients.py converts both ways). Resolved from .dynalite/node_modules via
// NODE_PATH, like node_client.js.
"use strict";

const readline = require("node:readline");
const sdk = require("@aws-sdk/client-dynamodb");

const [endpoint, region] = process.argv.slice(2);
const client = new sdk.DynamoDBClient({
  endpoint,
  region,
  credentials: { accessKeyId: "fidelity", secretAccessKey: "fidelity" },
  maxAttempts: 1,
});

function isTagged(value, tag) {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === tag;
}

function toSdk(value) {
  if (Array.isArray(value)) return value.map(toSdk);
  if (value !== null && typeof value === "object") {
    if (isTagged(value, "__b64__")) return Uint8Array.from(Buffer.from(value.__b64__, "base64"));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toSdk(v)]));
  }
  return value;
}

function fromSdk(value) {
  if (value instanceof Uint8Array) return { __b64__: Buffer.from(value).toString("base64") };
  if (value instanceof Date) return { __date__: value.getTime() / 1000 };
  if (value instanceof Set) return [...value].map(fromSdk);
  if (Array.isArray(value)) return value.map(fromSdk);
  if (value !== null && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined && !k.startsWith("$")) out[k] = fromSdk(v);
    }
    return out;
  }
  return value;
}

// Members of an SDK error object that are not fields of DynamoDB's error body.
const NOT_FIELDS = new Set(["name", "message", "Message", "__type", "stack"]);

function describeError(error) {
  const status = error.$metadata && error.$metadata.httpStatusCode;
  const fields = {};
  for (const [k, v] of Object.entries(error)) {
    if (!NOT_FIELDS.has(k) && !k.startsWith("$") && v !== undefined) fields[k] = fromSdk(v);
  }
  return {
    name: error.name,
    message: error.message,
    status: status || null,
    fields,
    // No HTTP status: the SDK refused the request before sending it (or could not read
    // the answer); the server never judged it.
    clientSide: !status,
  };
}

async function answer(request) {
  const Command = sdk[`${request.operation}Command`];
  if (Command === undefined) {
    return {
      id: request.id,
      error: { name: "UnknownCommand", message: request.operation, clientSide: true },
    };
  }
  try {
    const output = await client.send(new Command(toSdk(request.params)));
    const metadata = output.$metadata || {};
    return {
      id: request.id,
      result: fromSdk(output),
      status: metadata.httpStatusCode || 200,
      attempts: metadata.attempts || 1,
    };
  } catch (error) {
    return { id: request.id, error: describeError(error) };
  }
}

async function main() {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    process.stdout.write(`${JSON.stringify(await answer(JSON.parse(line)))}\n`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
