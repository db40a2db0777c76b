from skillcity.cli import main

main()
