# ruleid: tf-nat-gateway-per-subnet
resource "aws_nat_gateway" "private" {
  count         = length(aws_subnet.private)
  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
}

# ruleid: tf-nat-gateway-per-subnet
resource "aws_nat_gateway" "per_subnet" {
  for_each      = toset(var.private_subnet_ids)
  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = each.value
}

# ok: tf-nat-gateway-per-subnet
resource "aws_nat_gateway" "per_az" {
  count         = length(var.azs)
  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
}

# ok: tf-nat-gateway-per-subnet
resource "aws_nat_gateway" "single" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public[0].id
}
