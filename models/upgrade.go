package models

import "context"

// UpgradeVersions gives the plans of a database made before plans had
// versions their 원공시 and their recorded target changes as revisions.
// (Being written.)
func (s *Store) UpgradeVersions(ctx context.Context, shipped []*PlanFile) error { return nil }
