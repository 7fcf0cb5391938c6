package models

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// deptPlan stores a plan whose one programme belongs to 일자리경제과.
func deptPlan(t testing.TB, s *Store) {
	t.Helper()
	pf, err := ParsePlanFile(strings.NewReader(`{"year":2026,"city":"c","title":"t","published":"unknown","tasks":[{"code":"A","name":"a","programs":[
		{"name":"p","department":"일자리경제과","indicators":[{"name":"i","kind":"flow","unit":"명","target":12}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportPlan(context.Background(), pf); err != nil {
		t.Fatal(err)
	}
}

// problemText is a validation error as its problems' paths, keys and
// arguments: the catalogue words them, and handler tests read the words.
func problemText(err error) string {
	var v *ValidationError
	if !errors.As(err, &v) {
		return ""
	}
	return v.Error()
}

func TestDepartmentList(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	names, err := s.DepartmentNames(ctx)
	if err != nil || len(names) != 0 {
		t.Fatalf("an empty database lists departments %q, %v", names, err)
	}
	deptPlan(t, s)
	if err := s.AddDepartment(ctx, "  복지   정책과 ", nil, Origin{}); err != nil {
		t.Fatalf("AddDepartment = %v", err)
	}
	for _, tt := range []struct{ name, want string }{
		{"", "name: problem.department.name.empty"},
		{"일자리경제과", "name: problem.department.name.exists [일자리경제과]"},
		{"일자리 경제과", "name: problem.department.name.exists [일자리경제과]"},
		{"복지정책과", "name: problem.department.name.exists [복지 정책과]"},
		{"벨\a과", "name: problem.department.name.control"},
		{strings.Repeat("가", 34), "name: problem.department.name.too.long [100]"},
	} {
		if err := s.AddDepartment(ctx, tt.name, nil, Origin{}); problemText(err) != tt.want {
			t.Errorf("AddDepartment(%q) = %v, want a problem saying %q", tt.name, err, tt.want)
		}
	}
	newUser(t, s, "kim", RoleStaff)
	list, err := s.DepartmentList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []DepartmentUse{{ID: 1, Name: "복지 정책과"}, {Name: "일자리경제과", Programs: 1, Users: 1}}
	if len(list) != len(want) {
		t.Fatalf("DepartmentList = %+v, want %+v", list, want)
	}
	for i := range want {
		if list[i] != want[i] {
			t.Errorf("DepartmentList[%d] = %+v, want %+v", i, list[i], want[i])
		}
	}
	if !list[0].Removable() || list[1].Removable() {
		t.Errorf("Removable = %v, %v; want only the unused added department", list[0].Removable(), list[1].Removable())
	}
	events, _ := s.Events(ctx, EventFilter{Kind: EventDeptAdd})
	if len(events) != 1 || events[0].Detail != "복지 정책과" {
		t.Errorf("access log of added departments = %+v, want one entry naming 복지 정책과", events)
	}
}

// TestUserDepartmentMustBeListed: a typo such as 일자리 경제과 cannot make a
// user of a department with no indicators.
func TestUserDepartmentMustBeListed(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	deptPlan(t, s)
	in := UserInput{Login: "lee", DisplayName: "lee", Department: "일자리 경제과", Role: RoleStaff, Password: "long enough password 1"}
	_, err := s.CreateUser(ctx, in, false, nil, Origin{})
	if msg := problemText(err); msg != "department: problem.department.unknown.similar [일자리 경제과 일자리경제과]" {
		t.Fatalf("CreateUser with 일자리 경제과 = %v, want a problem that names the listed 일자리경제과", err)
	}
	in.Department = "복지과"
	if _, err := s.CreateUser(ctx, in, false, nil, Origin{}); problemText(err) != "department: problem.department.unknown [복지과]" {
		t.Fatalf("CreateUser with an unknown department = %v, want a problem that says where to add it", err)
	}
	if users, _ := s.Users(ctx); len(users) != 0 {
		t.Fatalf("a refused user was stored: %+v", users)
	}
	in.Department = "일자리경제과"
	u, err := s.CreateUser(ctx, in, false, nil, Origin{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetRole(ctx, u, RoleStaff, "노인장애인과", nil, Origin{}); problemText(err) != "department: problem.department.unknown [노인장애인과]" {
		t.Errorf("SetRole to an unknown department = %v, want a problem", err)
	}
	// A department that left the list may stay on a user whose role changes.
	if err := s.w.Model(&User{}).Where("id = ?", u.ID).Update("department", "옛부서").Error; err != nil {
		t.Fatal(err)
	}
	u.Department = "옛부서"
	if err := s.SetRole(ctx, u, RoleOfficial, "옛부서", nil, Origin{}); err != nil {
		t.Errorf("SetRole keeping the user's department = %v", err)
	}
}

func TestRemoveDepartment(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	deptPlan(t, s)
	for _, name := range []string{"복지과", "교통과"} {
		if err := s.AddDepartment(ctx, name, nil, Origin{}); err != nil {
			t.Fatal(err)
		}
	}
	in := UserInput{Login: "park", DisplayName: "park", Department: "복지과", Role: RoleStaff, Password: "long enough password 1"}
	if _, err := s.CreateUser(ctx, in, false, nil, Origin{}); err != nil {
		t.Fatal(err)
	}
	list, _ := s.DepartmentList(ctx)
	ids := map[string]uint{}
	for _, d := range list {
		ids[d.Name] = d.ID
	}
	if err := s.RemoveDepartment(ctx, ids["복지과"], nil, Origin{}); problemText(err) != "department: problem.department.in.use [복지과 0 1]" {
		t.Errorf("removing a department with a user = %v, want a problem", err)
	}
	if err := s.RemoveDepartment(ctx, 999, nil, Origin{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing an unknown department = %v, want ErrNotFound", err)
	}
	if err := s.RemoveDepartment(ctx, ids["교통과"], nil, Origin{}); err != nil {
		t.Fatalf("removing an unused department = %v", err)
	}
	names, _ := s.DepartmentNames(ctx)
	if strings.Join(names, ",") != "복지과,일자리경제과" {
		t.Errorf("after the removal the list is %q", names)
	}
}
