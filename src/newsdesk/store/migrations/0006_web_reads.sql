-- Newest-first reads of one source or one category (the source page, the source and category
-- feeds) walk these indexes in order and stop after a page: no sort, whatever the store's size.
-- IF NOT EXISTS: two web workers may open an older store at the same moment.
CREATE INDEX IF NOT EXISTS articles_source_time ON articles (source, coalesce(published, first_seen));
CREATE INDEX IF NOT EXISTS articles_category_time ON articles (category, coalesce(published, first_seen));
