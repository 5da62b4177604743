"""What is done to a laid-out PDF before it goes to press."""
