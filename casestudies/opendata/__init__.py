"""The published case studies as open data: the JSON API (`api`, `api_urls`), RSS and Atom
feeds (`feeds`), sitemaps (`sitemaps`) and CSV (`csv_export`). Each starts from
`CaseStudy.objects.published()`."""
