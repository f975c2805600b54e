resource "aws_security_group" "bastion" {
  name   = "bastion"
  vpc_id = var.vpc_id

  # ruleid: tf-sg-admin-port-open-world
  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  # ok: tf-sg-admin-port-open-world
  ingress {
    description = "HTTPS"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  # ok: tf-sg-admin-port-open-world
  ingress {
    description = "SSH from the VPN"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.20.0.0/16"]
  }

  # ok: tf-sg-admin-port-open-world
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# ruleid: tf-sg-admin-port-open-world
resource "aws_security_group_rule" "db_world" {
  type              = "ingress"
  from_port         = 5432
  to_port           = 5432
  protocol          = "tcp"
  ipv6_cidr_blocks  = ["::/0"]
  security_group_id = aws_security_group.db.id
}

# ruleid: tf-sg-admin-port-open-world
resource "aws_vpc_security_group_ingress_rule" "rdp" {
  security_group_id = aws_security_group.win.id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 3389
  to_port           = 3389
  ip_protocol       = "tcp"
}

# ok: tf-sg-admin-port-open-world
resource "aws_security_group_rule" "egress_all" {
  type              = "egress"
  from_port         = 0
  to_port           = 65535
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = aws_security_group.db.id
}
