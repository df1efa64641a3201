# A minimal Rack app: which process answered.
run ->(_env) { [200, { "content-type" => "text/plain" }, ["puma pid #{Process.pid}\n"]] }
