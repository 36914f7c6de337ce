-- A third way a list entry matches a label: 'word', the entry as one or more whole hyphen-separated parts of the
-- label ('şəki' matches şəki-turizm.az and turizm-şəki.az, not şəkil.az). R4.2 covers geographic names "and words
-- derived from them", so the starter geographic entries, which matched only the whole label, become 'word' entries:
-- more names go to review, none is refused by this.
ALTER TABLE policy_list_entries DROP CONSTRAINT policy_list_entries_match_check;
ALTER TABLE policy_list_entries ADD CONSTRAINT policy_list_entries_match_check CHECK (match IN ('exact', 'substring', 'word'));
UPDATE policy_list_entries SET match = 'word' WHERE list = 'geographic' AND match = 'exact';
