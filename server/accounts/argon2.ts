// argon2 (@node-rs/argon2), loaded with its allocator set to give a hash's working memory back to the system at once.
//
// @node-rs/argon2 is linked with mimalloc. Each hash or verify takes 19 MiB on one of libuv's threads; when it is
// freed, mimalloc returns it to the system only "later", when that thread next allocates through it, and an idle pool
// thread never does. So after the first four logins in a row the server kept 4 × 19.5 ≈ 78 MiB resident for good:
// more than a quarter of an idle server's RSS. With no purge delay the pages go back at once; the next hash faults
// them in again, which costs far less than the hash itself.
//
// mimalloc reads its options from the environment when the addon is loaded, so the addon is imported here, after
// the setting, with a dynamic import: a static one is hoisted above this module's code wherever the module is
// bundled into one file with it (`npm start` runs such a bundle, see server/bundle.ts).
process.env.MIMALLOC_PURGE_DELAY ??= "0";

export const { hash, verify } = await import("@node-rs/argon2");
