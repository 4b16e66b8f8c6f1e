-- The server's full version string, read once at connect: the tsl engine (PostgreSQL compiled to WebAssembly)
-- says "compiled by emcc (Emscripten …)", and takes no client message over ~64 KiB.
SELECT version()
