TOKEN_PREFIXES = %w[glpat- gldt- glptt-].freeze

def gitlab_token?(value)
  TOKEN_PREFIXES.any? { |p| value.start_with?(p) }
end
