"""Schools, majors, students and graduates: the records behind the EDU rules (catalog §2)."""
