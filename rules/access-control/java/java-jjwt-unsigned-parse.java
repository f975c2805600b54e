import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwt;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import java.security.Key;

class Tokens {
    Object bad(String token) {
        // ruleid: java-jjwt-unsigned-parse
        Jwt jwt = Jwts.parser().parse(token);
        return jwt.getBody();
    }

    Claims bad2(String token) {
        // ruleid: java-jjwt-unsigned-parse
        return Jwts.parserBuilder().build().parseClaimsJwt(token).getBody();
    }

    Claims good(String token, Key key) {
        // ok: java-jjwt-unsigned-parse
        return Jwts.parserBuilder().setSigningKey(key).build().parseClaimsJws(token).getBody();
    }

    Claims good2(JwtParser parser, String token) {
        // ok: java-jjwt-unsigned-parse
        return parser.parseClaimsJws(token).getBody();
    }
}
