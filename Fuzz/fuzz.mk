# Fuzzing (Fuzz/README.md), included by the Makefile.
# fuzz          every target for FUZZ_SECONDS in total (default 300 s, split evenly); fails on any crash, leak,
#               timeout (an input over 1 s) or out-of-memory (over 2 GiB RSS)
# fuzz-smoke    a short pass of each (FUZZ_SMOKE_SECONDS, default 15 s each): what `make test` runs
# fuzz-replay   the committed corpora and findings through the normal debug build (no sanitizers): regressions
# fuzz-open     the reproducers of open findings (Fuzz/Open): fails until they are fixed, then move them to
#               Fuzz/Findings
# Every build step's own exit status decides: a failed build stops the rule (no pipe hides it).
FUZZ_TARGETS       := FuzzConfigLoader FuzzTOML FuzzRecurrenceRule FuzzReminderOffset FuzzZone FuzzStateFile FuzzStderrLine FuzzTimeArgument FuzzICalendar FuzzAlarmWriteBack
FUZZ_SECONDS       ?= 300
FUZZ_SMOKE_SECONDS ?= 15
FUZZ_SCRATCH       := .build-fuzz
FUZZ_BUILD_FLAGS   := -c release --scratch-path $(FUZZ_SCRATCH) -Xswiftc -DFUZZING -Xswiftc -sanitize=fuzzer,address \
	-Xcc -fsanitize=fuzzer-no-link,address -Xcxx -fsanitize=fuzzer-no-link,address

.PHONY: fuzz fuzz-build fuzz-smoke fuzz-replay fuzz-open

fuzz-build: deps
	@for target in $(FUZZ_TARGETS); do \
		$(SWIFT) build $(FUZZ_BUILD_FLAGS) --product $$target --quiet || exit 1; \
		test -x $(FUZZ_SCRATCH)/release/$$target || exit 1; \
	done

fuzz: fuzz-build fuzz-replay
	Fuzz/run.sh $$(( $(FUZZ_SECONDS) / $(words $(FUZZ_TARGETS)) )) $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build fuzz-replay
	Fuzz/run.sh $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

fuzz-replay: deps
	$(SWIFT) build --quiet
	@for target in $(FUZZ_TARGETS); do \
		.build/debug/$$target Fuzz/Corpus/$$target $$(ls -d Fuzz/Findings/$$target 2>/dev/null) || exit 1; \
	done

fuzz-open: deps
	$(SWIFT) build --quiet
	@status=0; for target in $(FUZZ_TARGETS); do \
		[ -d Fuzz/Open/$$target ] || continue; \
		for input in Fuzz/Open/$$target/*; do \
			if SWIFT_BACKTRACE=enable=no .build/debug/$$target $$input >/dev/null 2>&1; then echo "fixed: $$input"; \
			else echo "still failing: $$input"; status=1; fi; \
		done; \
	done; exit $$status
