package models

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// File is the plan as a plan file: its tasks, programmes (with those that
// have no indicators), indicators and outcome targets, each with its ID,
// as the records hold them now. Figures, milestone progress, outcome
// results and context facts are not part of a plan's content and are left
// out.
func (p *Plan) File() *PlanFile {
	pf := &PlanFile{Year: p.Year, City: p.City, CityEn: p.CityEn, Title: p.Title, TitleEn: p.TitleEn,
		Vision: p.Vision, VisionEn: p.VisionEn, Source: p.Source}
	for _, t := range p.Tasks {
		tf := TaskFile{ID: t.ID, Code: t.Code, Name: t.Name, NameEn: t.NameEn, Source: t.Source}
		for _, prog := range t.Programs {
			tf.Programs = append(tf.Programs, prog.file())
		}
		pf.Tasks = append(pf.Tasks, tf)
	}
	for i := range p.Outcomes {
		pf.Outcomes = append(pf.Outcomes, p.Outcomes[i].file())
	}
	return pf
}

// file is the outcome target without its results.
func (o *Outcome) file() OutcomeFile {
	return OutcomeFile{ID: o.ID, Code: o.Code, Name: o.Name, NameEn: o.NameEn, Unit: o.Unit, UnitEn: o.UnitEn,
		Target: o.Target, Baseline: o.Baseline, BaselineYear: o.BaselineYear, Source: o.Source}
}

func (prog *Program) file() ProgramFile {
	pf := ProgramFile{ID: prog.ID, Name: prog.Name, NameEn: prog.NameEn, Department: prog.Department,
		Description: prog.Description, DescriptionEn: prog.DescriptionEn, New: prog.New, Field: prog.Field,
		Classified: prog.Classified, Budget: prog.Budget, Source: prog.Source}
	for _, g := range prog.GroupList() {
		pf.Groups = append(pf.Groups, string(g))
	}
	for _, ind := range prog.Indicators {
		pf.Indicators = append(pf.Indicators, ind.file())
	}
	return pf
}

func (ind *Indicator) file() IndicatorFile {
	f := IndicatorFile{ID: ind.ID, Name: ind.Name, NameEn: ind.NameEn, Unit: ind.Unit, UnitEn: ind.UnitEn, Basis: ind.Basis,
		Kind: ind.Kind, Headline: ind.Headline, Baseline: ind.Baseline, BaselineYear: ind.BaselineYear,
		TargetNote: ind.TargetNote, TargetNoteEn: ind.TargetNoteEn, Source: ind.Source}
	if ind.Kind.Monthly() {
		t := ind.Target
		f.Target = &t
	}
	if ind.Weight != 1 {
		w := ind.Weight
		f.Weight = &w
	}
	if len(ind.Pacing) == Months {
		f.Pacing, _ = json.Marshal([]float64(ind.Pacing))
	}
	if ind.DueDate != nil {
		f.Due = ind.DueDate.Format(time.DateOnly)
	}
	return f
}

// MoveTo is the plan file moved to year: its dates and the year in its
// title move by the difference in years, and its records lose their IDs,
// so that it makes a new plan.
func (pf *PlanFile) MoveTo(year int) {
	shift := year - pf.Year
	if shift != 0 && pf.Year != 0 {
		from, to := strconv.Itoa(pf.Year), strconv.Itoa(year)
		pf.Title, pf.TitleEn = strings.ReplaceAll(pf.Title, from, to), strings.ReplaceAll(pf.TitleEn, from, to)
	}
	pf.Year = year
	for i := range pf.Tasks {
		t := &pf.Tasks[i]
		t.ID = 0
		for j := range t.Programs {
			prog := &t.Programs[j]
			prog.ID = 0
			for k := range prog.Indicators {
				ind := &prog.Indicators[k]
				ind.ID = 0
				ind.Due = shiftDate(ind.Due, shift)
				ind.Done = shiftDate(ind.Done, shift)
			}
		}
	}
	for i := range pf.Outcomes {
		pf.Outcomes[i].ID = 0
	}
}

func shiftDate(s string, years int) string {
	d := parseDate(s)
	if d == nil || years == 0 {
		return s
	}
	return d.AddDate(years, 0, 0).Format(time.DateOnly)
}
