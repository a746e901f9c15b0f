// Counts container log lines with docker-loghose (npm) until a target, for
// scripts/bench/bench-shipper-read.sh. Usage: NODE_PATH=<dir>/node_modules node loghose-count.js LABEL=VALUE TARGET
// Attaches (through loghose) to the containers carrying the label; each line becomes loghose's
// object ({v, id, long_id, image, name, time, line}) and is counted, nothing else (no output).
// Prints "attach <n>" as containers are matched, "first <epoch ms>" at the first line and
// "done <epoch ms> <count> <CPU seconds used>" when TARGET lines were seen, then exits.
'use strict'
const loghose = require('docker-loghose')
const [key, value] = process.argv[2].split('=')
const target = Number(process.argv[3])
let attached = 0
let count = 0
const lh = loghose({
  json: false,
  newline: true,
  attachFilter: (id, info) => {
    const ok = (info.Config.Labels || {})[key] === value
    if (ok) console.log(`attach ${++attached}`)
    return ok
  }
})
lh.on('data', () => {
  if (count++ === 0) console.log(`first ${Date.now()}`)
  if (count === target) {
    const cpu = process.cpuUsage()
    console.log(`done ${Date.now()} ${count} ${((cpu.user + cpu.system) / 1e6).toFixed(2)}`)
    process.exit(0)
  }
})
lh.on('error', (e) => { console.error(e); process.exit(1) })
console.log('ready')
