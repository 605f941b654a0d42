// A client that is not Python: the AWS SDK for JavaScript v3 against the server command.
// Usage: node node_client.js ENDPOINT TABLE. Prints one JSON line with what it saw.
// Resolved from the folder `make` installs into (.dynalite/node_modules), via NODE_PATH.
"use strict";

const {
  DynamoDBClient,
  CreateTableCommand,
  PutItemCommand,
  GetItemCommand,
} = require("@aws-sdk/client-dynamodb");

async function main() {
  const [endpoint, table] = process.argv.slice(2);
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    maxAttempts: 1,
  });
  const seen = {};
  await client.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  await client.send(
    new PutItemCommand({ TableName: table, Item: { pk: { S: "u1" }, n: { N: "0010.50" } } }),
  );
  const got = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: "u1" } } }));
  seen.item = got.Item;
  try {
    await client.send(
      new PutItemCommand({
        TableName: table,
        Item: { pk: { S: "u2" } },
        ConditionExpression: "attribute_not_exists(pk)",
        ExpressionAttributeValues: { ":unused": { S: "x" } },
      }),
    );
    seen.refused = null;
  } catch (error) {
    seen.refused = { name: error.name, message: error.message };
  }
  console.log(JSON.stringify(seen));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
