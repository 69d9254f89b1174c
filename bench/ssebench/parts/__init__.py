"""The benchmark's parts, one module each; each `bench_*` or phase function stores its figures in
`ctx.results` and reports what it could not measure through `ctx.fail`."""
