"""The institutions directory: wilayas, region councils, provinces, prefectures, communes and
consultative bodies that the ministry invites to the co-creation events."""
