from fucai.cli import main

main()
