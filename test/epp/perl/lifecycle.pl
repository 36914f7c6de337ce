#!/usr/bin/perl
# Drives a registrar's session with Net::EPP::Simple (Debian: libnet-epp-perl) against a domen EPP server:
# login over TLS with the client certificate, a contact, a host and a domain through create, info,
# update, renew and delete, then logout. Prints one line per step: "<step> <result code> <message>".
# Usage: lifecycle.pl HOST PORT CERT KEY CA CLID PASSWORD SUFFIX
use strict;
use warnings;
use Net::EPP::Simple;

$| = 1;
my ($host, $port, $cert, $key, $ca, $clid, $pw, $suffix) = @ARGV;
die "usage: $0 HOST PORT CERT KEY CA CLID PASSWORD SUFFIX\n" unless defined $suffix;

sub step {
  my ($name, $ok) = @_;
  my $code = $Net::EPP::Simple::Code // 0;
  my $msg = $Net::EPP::Simple::Message // '';
  $msg =~ s/\s+/ /g;
  print "$name $code $msg\n";
  return $ok;
}

my $epp = Net::EPP::Simple->new(
  host => $host, port => $port, user => $clid, pass => $pw,
  key => $key, cert => $cert, verify => 1, ca_file => $ca,
  timeout => 10, reconnect => 0, load_config => 0,
);
step('login', defined $epp) or exit 1;

my $contact = "netepp-$suffix";
my @ns = ("ns1.netepp-$suffix.net", "ns2.netepp-$suffix.net");
my $domain = "netepp-$suffix.az";

step('contact:create', $epp->create_contact({
  id => $contact,
  postalInfo => { loc => { name => 'Aysel Quliyeva', addr => { street => ['Nizami küç. 1'], city => 'Bakı', pc => 'AZ1000', cc => 'AZ' } } },
  voice => '+994.501234567', fax => '', email => "$contact\@mail.example.az", authInfo => 'Contact-Auth-1',
}));
step('host:create', $epp->create_host({ name => $_, addrs => [] })) for @ns;
step('domain:check', defined $epp->check_domain($domain));
step('domain:create', $epp->create_domain({
  name => $domain, period => 1, registrant => $contact, contacts => { admin => $contact, tech => $contact },
  ns => [@ns], authInfo => 'Domain-Auth-1',
}));
my $info = $epp->domain_info($domain);
step('domain:info', ref($info) eq 'HASH');
print "info.clID $info->{clID}\n" if ref($info) eq 'HASH';
print "info.exDate $info->{exDate}\n" if ref($info) eq 'HASH';
step('domain:update', $epp->update_domain({ name => $domain, add => { status => ['clientTransferProhibited'] }, chg => { authInfo => 'Domain-Auth-2' } }));
my $after = $epp->domain_info($domain);
step('domain:info', ref($after) eq 'HASH');
print "info.status ", join(',', sort @{ $after->{status} // [] }), "\n" if ref($after) eq 'HASH';
my $exp = ref($info) eq 'HASH' ? substr($info->{exDate} // '', 0, 10) : '';
step('domain:renew', $epp->renew_domain({ name => $domain, cur_exp_date => $exp, period => 2 }));
step('contact:info', ref($epp->contact_info($contact)) eq 'HASH');
step('host:info', ref($epp->host_info($ns[0])) eq 'HASH');
step('domain:delete', $epp->delete_domain($domain));
step('host:delete', $epp->delete_host($_)) for @ns;
step('contact:delete', $epp->delete_contact($contact));
my $r = $epp->request(Net::EPP::Frame::Command::Logout->new);
$Net::EPP::Simple::Code = $r ? $epp->_get_response_code($r) : 0;
$Net::EPP::Simple::Message = $r ? $epp->_get_message($r) : '';
step('logout', $r);
$epp->{authenticated} = 0;
$epp->{connected} = 0;
