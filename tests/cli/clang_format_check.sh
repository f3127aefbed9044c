#!/usr/bin/env bash
# Every C++ source and header of sparrow is formatted as .clang-format says; prints the files and
# lines that are not. Usage: clang_format_check.sh CLANG_FORMAT SOURCE_DIR
set -eu
clang_format=$1
cd "$2"
find lib model driver tb engines apps tests bench examples -name '*.cpp' -o -name '*.h' | sort | xargs "$clang_format" --dry-run --Werror
