#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build: the in-process targets of fuzz/ (the parsers and the
# framer), each with its committed seeds from corpus/<target>/ as the seed corpus.
# live_session is left out: it needs a running IMAP server (README.md, "Fuzzing").
cd "$SRC/imapgate/fuzz"
cargo fuzz build -O --debug-assertions
for target in parse_response parse_command roundtrip_command framing; do
    cp "target/x86_64-unknown-linux-gnu/release/$target" "$OUT/"
    (cd "$SRC/imapgate/corpus/$target" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
done
