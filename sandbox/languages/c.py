from sandbox.languages.base import Language, register_language

C = register_language(
    Language(
        id="c",
        display_name="C11 (gcc -O2)",
        source_name="main.c",
        compile_argv=("gcc", "-std=gnu11", "-O2", "-pipe", "-o", "main", "main.c", "-lm"),
        run_argv=("./main",),
        extensions=(".c",),
        editor_mode="c",
        self_test='#include <stdio.h>\nint main(void){puts("ok");return 0;}\n',
    )
)
