// An Express application (npm express + ws) the proxy tests run behind Vigil.
const express = require('express');
const http = require('http');
const { WebSocketServer } = require('ws');

const app = express();
let hits = 0;

app.get('/items/:id', (req, res) => {
  hits++;
  res.json({ id: Number(req.params.id), name: 'item ' + req.params.id, tags: Array(80).fill('tag') });
});
app.get('/hits', (req, res) => res.json({ hits }));
app.post('/items', express.json(), (req, res) => res.status(201).location('/items/7').json({ created: req.body }));
app.get('/stream', (req, res) => {
  res.setHeader('Content-Type', 'text/plain');
  let i = 0;
  const t = setInterval(() => {
    res.write('line ' + i + '\n');
    if (++i === 5) { clearInterval(t); res.end(); }
  }, 50);
});
app.put('/items/:id', (req, res) => res.status(204).end());
app.delete('/items/:id', (req, res) => res.status(410).json({ gone: true }));

const server = http.createServer(app);
const wss = new WebSocketServer({ server, path: '/ws' });
wss.on('connection', (ws, req) => {
  ws.send('hello ' + (req.headers['x-forwarded-for'] || 'unknown'));
  ws.on('message', (m, isBinary) => ws.send(isBinary ? m : 'echo:' + m.toString()));
});
server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
