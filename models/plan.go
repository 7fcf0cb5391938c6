// Package models holds the plan data, its storage in SQLite and the domain
// math (pacing, status, forecast and roll-up). It is the only package that
// talks to the database.
package models

import "time"

// Kind says how an indicator's monthly figures add up to its actual value.
type Kind string

// The indicator kinds.
const (
	// KindFlow counts new things each month; the actual to date is the sum.
	KindFlow Kind = "flow"
	// KindStock is a level; the actual is the latest value, carried forward
	// over months that have no figure.
	KindStock Kind = "stock"
	// KindMilestone is a dated deliverable that is done or not.
	KindMilestone Kind = "milestone"
	// KindSpending is a programme's spending to date (집행액) in 백만원:
	// cumulative, entered monthly like a figure, measured against the
	// programme's budget rather than a target. Each programme has one
	// (Program.Spending); it is not among the programme's indicators.
	KindSpending Kind = "spending"
)

// Monthly reports whether the kind takes monthly figures: flows, stocks
// and spending do; a milestone is judged by its due and done dates
// instead.
func (k Kind) Monthly() bool { return k == KindFlow || k == KindStock || k == KindSpending }

// kinds lists every indicator kind.
var kinds = []Kind{KindFlow, KindStock, KindMilestone, KindSpending}

// monthlyKinds lists the kinds that take monthly figures (Kind.Monthly),
// for queries.
func monthlyKinds() []Kind {
	var out []Kind
	for _, k := range kinds {
		if k.Monthly() {
			out = append(out, k)
		}
	}
	return out
}

// CarriesForward reports whether a month without a figure keeps the
// latest level (a stock) rather than adding nothing (a flow). Only the
// as-of month itself is then due.
func (k Kind) CarriesForward() bool { return k == KindStock || k == KindSpending }

// FigureStatus is the workflow state of one monthly figure.
type FigureStatus string

// The figure workflow states.
const (
	FigureDraft     FigureStatus = "draft"
	FigureSubmitted FigureStatus = "submitted"
	FigureApproved  FigureStatus = "approved"
	FigureReturned  FigureStatus = "returned"
)

// MilestoneState is the progress of a milestone indicator.
type MilestoneState string

// The milestone states.
const (
	MilestonePlanned    MilestoneState = "planned"
	MilestoneInProgress MilestoneState = "in_progress"
	MilestoneDone       MilestoneState = "done"
	MilestoneDelayed    MilestoneState = "delayed"
)

// Source records where a seeded fact comes from: a short quote and a
// reference to the document it was taken from.
type Source struct {
	SourceQuote string `json:"quote,omitempty"`
	SourceRef   string `json:"ref,omitempty"`
}

// Plan is one year's employment-policy plan (일자리대책 연차별 세부계획) of a city.
type Plan struct {
	ID       uint   `gorm:"primaryKey"`
	Year     int    `gorm:"uniqueIndex;not null"`
	City     string `gorm:"not null"`
	CityEn   string
	Title    string `gorm:"not null"`
	TitleEn  string
	Vision   string
	VisionEn string
	Demo     bool // the plan carries sample figures, not real ones
	// State is draft or published; a plan stored before plans had states
	// was in use, so it reads as published.
	State PlanState `gorm:"not null;default:published"`
	// CopiedFrom is the year the plan was copied from (CopyPlan); 0 if none.
	CopiedFrom int
	CreatedAt  time.Time
	Source     `gorm:"embedded"`

	Tasks    []Task        `gorm:"constraint:OnDelete:CASCADE"`
	Facts    []ContextFact `gorm:"constraint:OnDelete:CASCADE"`
	Versions []PlanVersion `gorm:"constraint:OnDelete:CASCADE"`
	Outcomes []Outcome     `gorm:"constraint:OnDelete:CASCADE"`
}

// Indicators lists the plan's indicators in plan order.
func (p *Plan) Indicators() []*Indicator {
	var out []*Indicator
	for ti := range p.Tasks {
		for pi := range p.Tasks[ti].Programs {
			for ii := range p.Tasks[ti].Programs[pi].Indicators {
				out = append(out, &p.Tasks[ti].Programs[pi].Indicators[ii])
			}
		}
	}
	return out
}

// Task is a core task (중점과제) of a plan.
type Task struct {
	ID     uint   `gorm:"primaryKey"`
	PlanID uint   `gorm:"not null;uniqueIndex:idx_task_code"`
	Code   string `gorm:"not null;uniqueIndex:idx_task_code"`
	Name   string `gorm:"not null"`
	NameEn string
	Order  int `gorm:"column:sort_order;not null"`
	Source `gorm:"embedded"`

	Programs []Program `gorm:"constraint:OnDelete:CASCADE"`
}

// Program is a programme (세부사업) under a task.
type Program struct {
	ID            uint   `gorm:"primaryKey"`
	TaskID        uint   `gorm:"not null;index"`
	Name          string `gorm:"not null"`
	NameEn        string
	Department    string
	Description   string
	DescriptionEn string
	New           bool // new this year (신규)
	Order         int  `gorm:"column:sort_order;not null"`
	// Field is the code of the programme's 분야 (ProgramField); empty
	// when it is not classified (미분류).
	Field string
	// Groups lists the codes of the groups it is for (대상), comma-separated.
	Groups string
	// Classified says the 분야 and 대상 were assigned here from what the
	// source makes plain, not quoted from it.
	Classified bool
	// Budget is the planned budget by source, in 백만원.
	Budget Budget `gorm:"type:text"`
	Source `gorm:"embedded"`

	Indicators []Indicator `gorm:"constraint:OnDelete:CASCADE"`
	// Spending is the programme's spending indicator (KindSpending).
	Spending *Indicator `gorm:"-"`
}

// Indicator is a measured target of a programme.
type Indicator struct {
	ID        uint   `gorm:"primaryKey"`
	ProgramID uint   `gorm:"not null;index"`
	Name      string `gorm:"not null"`
	NameEn    string
	Unit      string `gorm:"not null"`
	UnitEn    string
	// Basis says what a count of people counts (집계 기준); empty in any
	// other unit, which is its own basis.
	Basis        Basis
	Kind         Kind `gorm:"not null"`
	Headline     bool // one of the plan's flagship targets
	Order        int  `gorm:"column:sort_order;not null"`
	Target       float64
	Baseline     *float64
	BaselineYear int
	TargetNote   string // the plan's basis for its target (a revision's reason is kept with the revision)
	TargetNoteEn string
	// TargetNoteUnrecorded says the note the plan was published with was
	// overwritten before revisions were kept, and could not be restored.
	TargetNoteUnrecorded bool
	// BaselineProvisional says the baseline is the year before's latest
	// approved actual while its December is not approved (CopyPlan).
	BaselineProvisional bool
	// CopiedFrom is the indicator of an earlier plan that this one was
	// copied from: the lineage that year-on-year comparisons follow.
	CopiedFrom uint `gorm:"index"`
	// NeedsReview says the target was copied and not decided yet: a plan
	// with any is not published.
	NeedsReview bool
	Weight      float64 `gorm:"not null;default:1"`
	// Pacing is empty for linear pacing, or 12 planned cumulative values
	// (one per month) stored as JSON.
	Pacing Pacing `gorm:"type:text"`

	// Milestone fields.
	DueDate        *time.Time
	DoneDate       *time.Time
	MilestoneState MilestoneState
	MilestoneNote  string // evidence when done, the reason when delayed
	Source         `gorm:"embedded"`

	Figures []Figure `gorm:"constraint:OnDelete:CASCADE"`
}

// Figure is the value of an indicator for one month.
type Figure struct {
	ID          uint    `gorm:"primaryKey"`
	IndicatorID uint    `gorm:"not null;uniqueIndex:idx_figure_period"`
	Year        int     `gorm:"not null;uniqueIndex:idx_figure_period"`
	Month       int     `gorm:"not null;uniqueIndex:idx_figure_period"`
	Value       float64 `gorm:"not null"` // the value being worked on
	Note        string
	Status      FigureStatus `gorm:"not null;default:approved"`
	Version     int          `gorm:"not null;default:1"`
	UpdatedBy   string
	UpdatedAt   time.Time
	// Approved is the last approved value: what the public pages show.
	// Editing an approved figure leaves it in place until the new value
	// is approved.
	Approved      *float64
	ReturnComment string // why an official returned it
}

// ContextFact is a figure that describes the city rather than a target,
// such as its average age or its number of industrial complexes.
type ContextFact struct {
	ID      uint   `gorm:"primaryKey"`
	PlanID  uint   `gorm:"not null;index"`
	Label   string `gorm:"not null"`
	LabelEn string
	Value   float64
	Unit    string
	UnitEn  string
	Order   int `gorm:"column:sort_order;not null"`
	Source  `gorm:"embedded"`
}
