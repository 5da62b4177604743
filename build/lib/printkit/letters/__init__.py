"""Letters that cite measures, mail merges and their register."""
