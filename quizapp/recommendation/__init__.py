"""The track recommendation: the rules file, the recommender and stored recommendations."""
