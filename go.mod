module github.com/connectedapplab/connectedapplab

go 1.26
