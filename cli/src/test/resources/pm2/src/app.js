// The code a watching app reloads on.
module.exports = 1;
