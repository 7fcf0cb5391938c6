package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"
)

// Department is a department an admin added to the list. The list of
// departments is these plus every department a plan names.
type Department struct {
	ID        uint   `gorm:"primaryKey"`
	Name      string `gorm:"uniqueIndex;not null"`
	CreatedBy string
	CreatedAt time.Time
}

// DepartmentUse is one department of the list with what refers to it.
type DepartmentUse struct {
	ID       uint // the row an admin added; 0 when only plans name it
	Name     string
	Programs int // programmes assigned to it, in every plan year
	Users    int // accounts in it
}

// Removable reports whether an admin may take the department off the
// list: one they added, that nothing refers to.
func (d DepartmentUse) Removable() bool { return d.ID != 0 && d.Programs == 0 && d.Users == 0 }

// MaxDepartmentLen bounds a department's name, in bytes.
const MaxDepartmentLen = 100

// DepartmentList lists every department, by name, with its programmes
// and users.
func (s *Store) DepartmentList(ctx context.Context) ([]DepartmentUse, error) {
	db := s.r.WithContext(ctx)
	var added []Department
	if err := db.Order("name").Find(&added).Error; err != nil {
		return nil, fmt.Errorf("models: list departments: %w", err)
	}
	type count struct {
		Department string
		N          int
	}
	var progs, users []count
	if err := db.Model(&Program{}).Select("department, COUNT(*) AS n").Where("department <> ''").
		Group("department").Scan(&progs).Error; err != nil {
		return nil, fmt.Errorf("models: count programmes by department: %w", err)
	}
	if err := db.Model(&User{}).Select("department, COUNT(*) AS n").Where("department <> ''").
		Group("department").Scan(&users).Error; err != nil {
		return nil, fmt.Errorf("models: count users by department: %w", err)
	}
	byName := map[string]*DepartmentUse{}
	for _, d := range added {
		byName[d.Name] = &DepartmentUse{ID: d.ID, Name: d.Name}
	}
	for _, p := range progs {
		if byName[p.Department] == nil {
			byName[p.Department] = &DepartmentUse{Name: p.Department}
		}
		byName[p.Department].Programs = p.N
	}
	out := make([]DepartmentUse, 0, len(byName))
	for _, u := range users {
		// A user's department counts only when the list has it.
		if d := byName[u.Department]; d != nil {
			d.Users = u.N
		}
	}
	for _, d := range byName {
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b DepartmentUse) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// DepartmentNames lists the names of every department, sorted: the ones
// users and programmes may be assigned to.
func (s *Store) DepartmentNames(ctx context.Context) ([]string, error) {
	names, err := departmentNames(s.r.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("models: list departments: %w", err)
	}
	return names, nil
}

func departmentNames(db *gorm.DB) ([]string, error) {
	var added, named []string
	if err := db.Model(&Department{}).Pluck("name", &added).Error; err != nil {
		return nil, err
	}
	if err := db.Model(&Program{}).Distinct("department").Where("department <> ''").Pluck("department", &named).Error; err != nil {
		return nil, err
	}
	names := append(added, named...)
	slices.Sort(names)
	return slices.Compact(names), nil
}

// CheckDepartment returns a ValidationError when name is not empty and
// not on the list of departments, so that a typo cannot give a user or a
// programme a department with no indicators.
func (s *Store) CheckDepartment(ctx context.Context, name string) error {
	return checkDepartment(s.r.WithContext(ctx), name)
}

func checkDepartment(db *gorm.DB, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil
	}
	names, err := departmentNames(db)
	if err != nil {
		return fmt.Errorf("models: list departments: %w", err)
	}
	if slices.Contains(names, name) {
		return nil
	}
	if like := similarDepartment(names, name); like != "" {
		return invalid("department", "problem.department.unknown.similar", name, like)
	}
	return invalid("department", "problem.department.unknown", name)
}

// similarDepartment finds a listed name that differs from name only in
// spaces or letter case, such as 일자리 경제과 for 일자리경제과.
func similarDepartment(names []string, name string) string {
	for _, n := range names {
		if foldDepartment(n) == foldDepartment(name) {
			return n
		}
	}
	return ""
}

func foldDepartment(s string) string {
	return strings.ToLower(strings.Join(strings.FieldsFunc(s, unicode.IsSpace), ""))
}

// validDepartmentName checks a new department's name.
func validDepartmentName(name string) error {
	switch {
	case name == "":
		return invalid("name", "problem.department.name.empty")
	case len(name) > MaxDepartmentLen:
		return invalid("name", "problem.department.name.too.long", MaxDepartmentLen)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return invalid("name", "problem.department.name.control")
	}
	return nil
}

// AddDepartment puts a department on the list. A name that the list has
// already, also with other spaces or letter case, is refused.
func (s *Store) AddDepartment(ctx context.Context, name string, actor *User, from Origin) error {
	name = strings.Join(strings.FieldsFunc(name, unicode.IsSpace), " ")
	if err := validDepartmentName(name); err != nil {
		return err
	}
	err := s.writeMeta(ctx, func(tx *gorm.DB) error { return addDepartment(tx, name, "name", actor, from) })
	if err != nil {
		return fmt.Errorf("models: add department %q: %w", name, err)
	}
	return nil
}

// addDepartment puts a valid name on the list in tx, refusing one the
// list has already with other spaces or letter case (a problem at path).
func addDepartment(tx *gorm.DB, name, path string, actor *User, from Origin) error {
	names, err := departmentNames(tx)
	if err != nil {
		return err
	}
	if like := similarDepartment(names, name); like != "" {
		return invalid(path, "problem.department.name.exists", like)
	}
	d := Department{Name: name}
	if actor != nil {
		d.CreatedBy = actor.Login
	}
	if err := tx.Create(&d).Error; err != nil {
		return err
	}
	return recordEvent(tx, EventDeptAdd, nil, actor, from, name)
}

// RemoveDepartment takes a department an admin added off the list, when
// no programme and no user refers to it.
func (s *Store) RemoveDepartment(ctx context.Context, id uint, actor *User, from Origin) error {
	err := s.writeMeta(ctx, func(tx *gorm.DB) error {
		var d Department
		if err := tx.First(&d, id).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		var progs, users int64
		if err := tx.Model(&Program{}).Where("department = ?", d.Name).Count(&progs).Error; err != nil {
			return err
		}
		if err := tx.Model(&User{}).Where("department = ?", d.Name).Count(&users).Error; err != nil {
			return err
		}
		if progs > 0 || users > 0 {
			return invalid("department", "problem.department.in.use", d.Name, progs, users)
		}
		if err := tx.Delete(&d).Error; err != nil {
			return err
		}
		return recordEvent(tx, EventDeptRemove, nil, actor, from, d.Name)
	})
	if err != nil {
		return fmt.Errorf("models: remove department %d: %w", id, err)
	}
	return nil
}
