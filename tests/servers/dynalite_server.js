// Starts dynalite in memory on 127.0.0.1 and reports the port it got.
//
// Started by tests/servers/dynalite.py, not by hand:
//   node dynalite_server.js MODULE_DIR CREATE_MS DELETE_MS UPDATE_MS
// Listening on port 0 lets the kernel pick a free port, so two servers started at
// once (xdist workers) can never race for the same one. The one line written to
// stdout, "DYNALITE_LISTENING <port>", is what the Python side waits for.
// The server exits when its stdin closes, so it cannot outlive the Python process
// that started it, even if that one is killed with SIGKILL.
'use strict'

const [moduleDir, createMs, deleteMs, updateMs] = process.argv.slice(2)
if (!moduleDir) {
  process.stderr.write('usage: node dynalite_server.js MODULE_DIR CREATE_MS DELETE_MS UPDATE_MS\n')
  process.exit(2)
}

const dynalite = require(moduleDir)
const server = dynalite({
  createTableMs: Number(createMs),
  deleteTableMs: Number(deleteMs),
  updateTableMs: Number(updateMs),
})

server.on('error', (err) => {
  process.stderr.write(`dynalite failed: ${err.stack || err}\n`)
  process.exit(1)
})

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`DYNALITE_LISTENING ${server.address().port}\n`)
})

process.stdin.on('end', () => process.exit(0))
process.stdin.on('error', () => process.exit(0))
process.stdin.resume()
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(signal, () => process.exit(0))
}
