// The same pm2 cluster-mode habit with Express: app.listen(process.env.PORT || APP_PORT), no port from zdm.
const express = require('express');
const app = express();
app.get('/', (req, res) => res.send(`worker ${process.env.NODE_APP_INSTANCE} pid ${process.pid}\n`));
const port = Number(process.env.PORT || process.env.APP_PORT || 3000);
app.listen(port, () => console.log(`listening on ${port}`));
