package tokens

import "strings"

const fineGrainedPrefix = "github_pat_"

func IsFineGrained(t string) bool { return strings.HasPrefix(t, fineGrainedPrefix) }
