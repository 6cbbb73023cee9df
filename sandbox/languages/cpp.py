from sandbox.languages.base import Language, register_language

CPP = register_language(
    Language(
        id="cpp",
        display_name="C++17 (g++ -O2)",
        source_name="main.cpp",
        compile_argv=("g++", "-std=c++17", "-O2", "-pipe", "-o", "main", "main.cpp"),
        run_argv=("./main",),
        extensions=(".cpp", ".cc", ".cxx"),
        editor_mode="cpp",
        self_test='#include <cstdio>\nint main(){std::puts("ok");}\n',
    )
)
