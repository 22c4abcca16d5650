from helpdesk.cli import main

raise SystemExit(main())
