# A recording fake of the part of fastlane's DSL the Fastfile uses, so the lanes can
# be loaded and run here, where fastlane cannot be installed. Actions are recorded
# with their arguments, not performed; lanes calling lanes run for real.

module SharedValues
  GRADLE_AAB_OUTPUT_PATH = :GRADLE_AAB_OUTPUT_PATH
end

module UI
  class Error < StandardError; end

  def self.user_error!(message)
    raise Error, message
  end
end

class FakeFastlane
  Call = Struct.new(:action, :args, :params)

  # The actions the lanes may use; anything else is an error, as in fastlane.
  ACTIONS = %i[
    sh gradle upload_to_play_store run_tests increment_version_number
    increment_build_number build_app upload_to_testflight
  ].freeze

  AAB = "/build/android/app-release.aab"

  attr_reader :calls, :lanes, :default

  def initialize(fastfile)
    @lanes = {}
    @calls = []
    @platform = nil
    instance_eval(File.read(fastfile), fastfile)
  end

  def default_platform(name)
    @default = name
  end

  def platform(name)
    before = @platform
    @platform = name
    yield
  ensure
    @platform = before
  end

  def desc(text)
    @desc = text
  end

  def lane(name, &block)
    raise ArgumentError, "lane #{name} outside a platform" unless @platform
    @lanes[[@platform, name]] = { block: block, desc: @desc }
    @desc = nil
  end

  def lane_context
    { SharedValues::GRADLE_AAB_OUTPUT_PATH => AAB }
  end

  # Runs one lane; returns the actions it (and the lanes it calls) recorded.
  def run(platform, lane)
    @calls = []
    @running = platform
    instance_exec(&@lanes.fetch([platform, lane]).fetch(:block))
    @calls
  end

  def method_missing(name, *args, **params, &block)
    if @running && @lanes.key?([@running, name])
      return instance_exec(&@lanes[[@running, name]][:block])
    end
    return super unless ACTIONS.include?(name)

    @calls << Call.new(name, args, params)
    # `sh` returns the command's output; the only one the Fastfile reads is git's.
    name == :sh && args.include?("rev-list") ? "321\n" : ""
  end

  def respond_to_missing?(name, include_private = false)
    ACTIONS.include?(name) || super
  end
end
