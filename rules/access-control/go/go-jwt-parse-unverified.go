package main

import (
	"errors"

	"github.com/golang-jwt/jwt/v5"
)

func userID(raw string) (string, error) {
	claims := jwt.MapClaims{}
	// ruleid: go-jwt-parse-unverified
	_, _, err := jwt.NewParser().ParseUnverified(raw, claims)
	if err != nil {
		return "", err
	}
	sub, _ := claims["sub"].(string)
	return sub, nil
}

func noneKey(raw string) (*jwt.Token, error) {
	return jwt.Parse(raw, func(t *jwt.Token) (interface{}, error) {
		// ruleid: go-jwt-parse-unverified
		return jwt.UnsafeAllowNoneSignatureType, nil
	})
}

func verified(raw string, key []byte) (*jwt.Token, error) {
	// ok: go-jwt-parse-unverified
	return jwt.Parse(raw, func(t *jwt.Token) (interface{}, error) {
		if _, ok := t.Method.(*jwt.SigningMethodHMAC); !ok {
			return nil, errors.New("unexpected alg")
		}
		return key, nil
	}, jwt.WithValidMethods([]string{"HS256"}))
}

func verified2(raw string, key []byte) (*jwt.Token, error) {
	p := jwt.NewParser(jwt.WithValidMethods([]string{"HS256"}))
	// ok: go-jwt-parse-unverified
	return p.Parse(raw, func(t *jwt.Token) (interface{}, error) { return key, nil })
}
