// Child process for the loopback measurement: reads one connection to its end and replies with the
// number of bytes it read. Prints its port when listening.
import net from 'node:net';

const server = net.createServer((socket) => {
  let bytes = 0;
  socket.on('data', (chunk) => (bytes += chunk.length));
  socket.on('end', () => {
    socket.end(String(bytes));
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
