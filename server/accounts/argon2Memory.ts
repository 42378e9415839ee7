// Makes argon2's allocator give its working memory back to the system as soon as a hash is done.
//
// @node-rs/argon2 is linked with mimalloc. Each hash or verify takes 19 MiB on one of libuv's threads; when it is
// freed, mimalloc returns it to the system only "later", when that thread next allocates through it, and an idle pool
// thread never does. So after the first four logins in a row the server kept 4 × 19.5 ≈ 78 MiB resident for good:
// more than a quarter of an idle server's RSS. With no purge delay the pages go back at once; the next hash faults
// them in again, which costs far less than the hash itself.
//
// mimalloc reads its options from the environment when the addon is loaded, so this module must run before
// `@node-rs/argon2` is imported (it is the first import of `passwords.ts`, the only module that imports it).
process.env.MIMALLOC_PURGE_DELAY ??= "0";
