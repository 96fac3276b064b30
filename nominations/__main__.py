from nominations.cli import main

main()
