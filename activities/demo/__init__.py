"""Demo data of the activities app, built on the demo roster by ``seed_demo``: one module
for suggestion forms and themed Party days, one for pioneer posts and warmth delivery."""
