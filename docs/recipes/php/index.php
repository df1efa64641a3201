<?php
// php -S runs one request at a time and cannot take an inherited socket: behind zdm's proxy only.
header('Content-Type: text/plain');
echo "php pid " . getmypid() . "\n";
