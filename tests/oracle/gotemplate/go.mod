module codexstack.test/oracle/gotemplate

go 1.22
