from footcheck._cli import main

main()
