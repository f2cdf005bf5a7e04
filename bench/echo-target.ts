// A do-nothing target that honours the decision contract's shape: it answers every decision at
// once, echoing the id. Driving it with the same k6 script gives the ceiling this machine allows
// k6 plus any server; the sandbox's sustained rate is reported as a ratio to it.
import { createServer, type Server } from "node:http";

export function startEchoTarget(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === "/v1/health") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"mode":"shadow","echo":true}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const id = /"id":"([^"]*)"/.exec(body)?.[1] ?? "";
      const text = `{"id":"${id}","verdict":"blocked","increment":0,"reason":"echo","marketDataAgeMs":0,"brokerConnected":true}`;
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "x-decision-id": id });
      res.end(text);
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

if (process.argv[1]?.endsWith("echo-target.ts")) {
  const port = Number(process.argv[2] ?? 7399);
  await startEchoTarget(port);
  console.log(`echo target on :${port}`);
}
