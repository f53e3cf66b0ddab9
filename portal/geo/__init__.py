"""Morocco's regions and provinces/prefectures (reference data keyed by HCP codes)."""
