#ifndef SSE_TIMELINE_PARSE_GUARD_H
#define SSE_TIMELINE_PARSE_GUARD_H

/// A parser entry point: `parse(text, error)`.
typedef void *_Nullable (*sse_parse_function)(const char *_Nonnull text, void *_Nonnull error);

/// Calls `parse(text, error)`; if the parser aborts (a failed `assert` in toml++, which TOMLKit 0.6.0 builds
/// with assertions on), returns NULL with `*aborted = 1` instead of ending the process. What the parser had
/// allocated is leaked, on that input only.
void *_Nullable sse_guarded_parse(sse_parse_function _Nonnull parse, const char *_Nonnull text,
                                  void *_Nonnull error, int *_Nonnull aborted);

#endif
