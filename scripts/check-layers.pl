#!/usr/bin/env perl
# Checks that every `crate::…` path in app/src follows the dependency rule of ARCHITECTURE.md:
#   - between modules: a module uses only modules on lower lines of the ```layers block;
#   - inside a domain: pages → components → api → service → rules → model, each using only
#     its own kind or those after it (super:: paths are resolved too).
# Known exceptions are listed in scripts/layers-baseline.txt, one "file -> target" per line; the
# list may only shrink: an exception that no longer occurs is an error too (remove its line).
# Usage: scripts/check-layers.pl [--print]   (--print writes today's violations in baseline form)
use strict;
use warnings;
use File::Find;

my $root = $0 =~ s{/scripts/[^/]+$}{}r;
$root = '.' if $root eq $0;
chdir $root or die "cannot enter $root\n";
my $print = grep { $_ eq '--print' } @ARGV;

# The layers, bottom first, from the ```layers block of ARCHITECTURE.md.
open my $arch, '<', 'ARCHITECTURE.md' or die "ARCHITECTURE.md: $!\n";
my ($in, %rank, @lines) = (0);
while (<$arch>) {
    if (/^```layers/) { $in = 1; next }
    if ($in && /^```/) { last }
    next unless $in;
    s/#.*//;
    my @mods = split ' ';
    next unless @mods;
    push @lines, [@mods];
}
close $arch;
die "ARCHITECTURE.md has no ```layers block\n" unless @lines;
for my $i (0 .. $#lines) {
    for my $m (@{ $lines[$i] }) {
        die "ARCHITECTURE.md names $m twice\n" if exists $rank{$m};
        $rank{$m} = $i;
    }
}
my %kind = (model => 0, rules => 1, service => 2, api => 3, components => 4, pages => 5);

# Every top-level module must be placed.
opendir my $dh, 'app/src' or die "app/src: $!\n";
for my $entry (readdir $dh) {
    next if $entry =~ /^\./ || $entry eq 'lib.rs' || $entry eq 'main.rs';
    my $m = $entry =~ s/\.rs$//r;
    next unless -d "app/src/$entry" || $entry =~ /\.rs$/;
    die "app/src/$entry is in no layer of ARCHITECTURE.md\n" unless exists $rank{$m};
}
closedir $dh;

my @files;
find(sub { push @files, $File::Find::name if /\.rs$/ }, 'app/src');
@files = sort @files;

my %seen;    # "file -> target" => 1
for my $file (@files) {
    my $rel = $file =~ s{^app/src/}{}r;
    next if $rel eq 'lib.rs';
    # The file's module path: orders/service/pay.rs -> (orders, service, pay).
    my @path = split m{/}, $rel =~ s/\.rs$//r;
    pop @path if $path[-1] eq 'mod';
    my $module = $path[0];
    my $own_kind = @path > 1 && exists $kind{ $path[1] } ? $path[1] : undef;

    open my $fh, '<', $file or die "$file: $!\n";
    my $text = do { local $/; <$fh> };
    close $fh;
    # Comments (doc comments included), string and character literals say nothing of imports.
    $text =~ s{((?<![A-Za-z0-9_])b?r(\#*)".*?"\2|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)')|/\*.*?\*/|//[^\n]*}{defined $1 ? '""' : ' '}gse;

    my @targets;    # resolved paths, as arrays
    while ($text =~ /\b((?:crate|super)(?:::super)*)::(\{|[A-Za-z_][A-Za-z0-9_]*)/g) {
        my ($head, $next) = ($1, $2);
        my $after = pos($text);
        my @base;
        if ($head eq 'crate') {
            @base = ();
        } else {
            my $ups = () = $head =~ /super/g;
            @base = @path;
            splice @base, -$ups;
        }
        my @names;    # each named path's first two segments
        if ($next eq '{') {
            # A group: each top-level item.
            my ($depth, $item, $i) = (1, '', $after);
            my @items;
            while ($i < length $text && $depth > 0) {
                my $c = substr $text, $i++, 1;
                if ($c eq '{') { $depth++ }
                elsif ($c eq '}') { $depth--; if ($depth == 0) { push @items, $item; last } }
                elsif ($c eq ',' && $depth == 1) { push @items, $item; $item = ''; next }
                $item .= $c if $depth >= 1;
            }
            for (@items) {
                push @names, [grep { defined } $1, $2] if /^\s*([A-Za-z_]\w*)(?:::([A-Za-z_]\w*))?/;
            }
        } else {
            my $second = substr($text, $after) =~ /^::([A-Za-z_]\w*)/ ? $1 : undef;
            push @names, [grep { defined } $next, $second];
        }
        for my $n (@names) {
            next if $n->[0] eq 'self';
            push @targets, [@base, @$n];
        }
    }
    for my $t (@targets) {
        my $target = $t->[0];
        next unless defined $target && exists $rank{$target};
        if ($target ne $module) {
            next if $rank{$target} < $rank{$module};
            $seen{"app/src/$rel -> $target"} = 1;
        } elsif (defined $own_kind && @$t > 1 && exists $kind{ $t->[1] }) {
            next if $kind{ $t->[1] } <= $kind{$own_kind};
            $seen{"app/src/$rel -> $target\::$t->[1]"} = 1;
        }
    }
}

if ($print) {
    print "$_\n" for sort keys %seen;
    exit 0;
}

my %baseline;
if (open my $bh, '<', 'scripts/layers-baseline.txt') {
    while (<$bh>) {
        s/#.*//;
        s/^\s+|\s+$//g;
        $baseline{$_} = 1 if length;
    }
    close $bh;
}
my @new = grep { !$baseline{$_} } sort keys %seen;
my @gone = grep { !$seen{$_} } sort keys %baseline;
if (@new) {
    print STDERR "imports against ARCHITECTURE.md's dependency rule:\n";
    print STDERR "  $_\n" for @new;
}
if (@gone) {
    print STDERR "fixed, so remove from scripts/layers-baseline.txt:\n";
    print STDERR "  $_\n" for @gone;
}
exit 1 if @new || @gone;
my $left = keys %baseline;
print "ok: every import follows ARCHITECTURE.md ($left known exceptions left in scripts/layers-baseline.txt)\n";
