from sandbox.languages.base import Language, register_language

PYTHON = register_language(
    Language(
        id="python",
        display_name="Python 3",
        source_name="main.py",
        run_argv=("python3", "main.py"),
        check_argv=("python3", "-m", "py_compile"),
        launcher=("python3",),
        extensions=(".py",),
        editor_mode="python",
        self_test='print("ok")\n',
    )
)
